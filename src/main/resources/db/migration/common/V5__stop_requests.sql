-- A stop asked of an instance that is not the one running the turn (several instances on one
-- PostgreSQL database) is left here, as the time it was asked, for the running instance to find.
-- Cleared whenever a turn begins or ends, so it never outlives the turn it was meant for.
ALTER TABLE conversations ADD COLUMN stop_requested BIGINT;
