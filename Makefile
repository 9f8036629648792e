# Shortcuts for `python3 dev.py TARGET` (dev.py needs nothing but Python 3.11+ and git).
PYTHON ?= python3

.PHONY: demo test test-fast selfcheck bench examples docs new-rule clean

demo test selfcheck bench examples docs:
	$(PYTHON) dev.py $@

# The everyday tier: everything but the hostile, fuzz, packaging, browser and slow tests.
test-fast:
	$(PYTHON) dev.py test --fast

# make new-rule ID=SEC009 NAME=sbom-published [ARGS="--practice security-in-the-pipeline"]
new-rule:
	$(PYTHON) dev.py new-rule $(ID) $(NAME) $(ARGS)

clean:
	rm -rf .venv build dist .pytest_cache
