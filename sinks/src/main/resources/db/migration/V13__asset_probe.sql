-- The whole probe of a ready asset, as the analysis request carries it (AudioProbe's JSON: container, codec, sample
-- rate, channels, channel layout, declared duration, bit rate), so the pipeline decodes without probing the same bytes
-- again. The scalar columns stay for queries and the API; the channel layout and bit rate live only here. Null for
-- assets probed before this column (their jobs probe, as before) and for any asset not ready.
ALTER TABLE assets ADD COLUMN probe jsonb;
