-- Why a complete reply ended, in one vocabulary for every provider: 'stop' (the model finished),
-- 'length' (it hit the output token limit: the answer is cut short), 'content_filter',
-- 'tool_calls', or another value a provider sent. NULL for replies that did not complete and for
-- replies written before this column existed. Adding a nullable column rewrites no rows on
-- either database.
ALTER TABLE messages ADD COLUMN finish_reason TEXT;
