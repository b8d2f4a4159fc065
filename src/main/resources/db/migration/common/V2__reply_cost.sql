-- Cost of a reply in millionths of a US dollar, from the provider's token counts and the
-- configured price table; null when the model has no price or the provider reported no usage.
ALTER TABLE messages ADD COLUMN cost_micros BIGINT;
