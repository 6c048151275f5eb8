-- SQLite cannot ADD COLUMN a NOT NULL foreign key without a default, so
-- notes.user_id is part of CREATE TABLE here (same resulting schema).
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username VARCHAR(255) NOT NULL UNIQUE,
  name VARCHAR(255) NOT NULL
);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  content TEXT NOT NULL,
  important BOOLEAN NOT NULL,
  date DATETIME,
  user_id INTEGER NOT NULL REFERENCES users (id)
);
