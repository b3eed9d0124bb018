-- Run once by the postgres container on its first start: one database per service, so no
-- service can read another's tables.
CREATE DATABASE acme_shop_identity OWNER app;
CREATE DATABASE acme_shop_catalog OWNER app;
CREATE DATABASE acme_shop_ordering OWNER app;
