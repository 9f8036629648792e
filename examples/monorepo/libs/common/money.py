def money(x): return round(x, 2)
