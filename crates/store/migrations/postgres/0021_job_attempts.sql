-- Mail jobs are tried for about six and a half hours (jobs::MAX_ATTEMPTS): jobs still waiting
-- from an older version get as many tries.
UPDATE jobs SET max_attempts = 30 WHERE done_at IS NULL AND max_attempts < 30;
