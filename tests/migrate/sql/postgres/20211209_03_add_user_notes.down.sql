DROP TABLE user_notes;
