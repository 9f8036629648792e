# Shortcuts for `python3 dev.py TARGET` (dev.py needs nothing but Python 3.11+ and git).
PYTHON ?= python3

.PHONY: demo test selfcheck bench examples docs clean

demo test selfcheck bench examples docs:
	$(PYTHON) dev.py $@

clean:
	rm -rf .venv build dist .pytest_cache
