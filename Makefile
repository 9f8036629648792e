# Two entry points for a fresh machine with Python 3.11+ and git:
#   make demo   - set up and run practicelint on the bundled example repositories
#   make test   - set up and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench examples docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== examples/passing (every headline rule passes)"
	-$(BIN)/practicelint check examples/passing
	@echo
	@echo "== examples/failing (each headline rule fails for a different reason)"
	-$(BIN)/practicelint check examples/failing
	@echo
	@echo "== examples/monorepo (several services)"
	-$(BIN)/practicelint check examples/monorepo

test: $(STAMP)
	$(BIN)/python -m pytest

# Regenerate the expected JSON reports of the example repositories after an intended change.
examples: $(STAMP)
	$(BIN)/python -m tests.regenerate_examples

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache

# Regenerate docs/rules.md from the catalog (a test fails when it is stale).
docs: $(STAMP)
	$(BIN)/python -c "from linter.catalog import load_catalog; from linter.ruledocs import rules_document; open('docs/rules.md', 'w').write(rules_document(load_catalog()))"
	$(BIN)/practicelint schema config > docs/config.schema.json
	$(BIN)/python -c "from pathlib import Path; from linter.catalog import load_catalog; from linter.ruledocs import with_readme_table; p = Path('README.md'); p.write_text(with_readme_table(p.read_text(), load_catalog()))"
