-- pgbench script for benchmarks/gateway-throughput.sh: one single-row insert per transaction, a row
-- about the size of a submitted job (uuid key, tenant, JSON request, timestamps).
INSERT INTO bench.single_row_insert (id, tenant, request, created_at)
VALUES (gen_random_uuid(), 'bench', '{"prompt":"a small red circle in the center on a white background","seed":1,"steps":20,"guidance":3,"sampler":"dpmpp_2m","model":"stipple-base-16@6","count":1}'::jsonb, now());
