CREATE TABLE stock_level (
  sku        TEXT PRIMARY KEY,
  store_id   TEXT NOT NULL,
  quantity   INTEGER NOT NULL,
  updated_by TEXT NOT NULL  -- the employee who counted the shelf
);
