CREATE TABLE user_notes (
  id SERIAL PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  note_id INTEGER NOT NULL REFERENCES notes (id)
);
