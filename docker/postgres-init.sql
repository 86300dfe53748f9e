-- Runs once when the PostgreSQL volume is first created.
-- The directory lives in database "recovery"; Rasa's SQL tracker store in "rasa_tracker".
CREATE DATABASE rasa_tracker OWNER recovery;
\connect recovery
CREATE EXTENSION IF NOT EXISTS postgis;
