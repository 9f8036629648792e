# Two entry points for a fresh machine with Python 3.11+ and git:
#   make demo   - set up and run practicelint on the bundled example repositories
#   make test   - set up and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test selfcheck bench examples docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "== examples/passing (every rule that applies passes)"
	-$(BIN)/practicelint check examples/passing
	@echo
	@echo "== examples/failing (the headline rules fail, each for a different reason; most others too)"
	-$(BIN)/practicelint check examples/failing
	@echo
	@echo "== examples/monorepo (several services)"
	-$(BIN)/practicelint check examples/monorepo

test: $(STAMP)
	$(MAKE) --no-print-directory selfcheck
	$(BIN)/python -m pytest

# practicelint checks itself and the example repositories; reports land in build/reports/.
# Rule failures are expected (exit 1); a crash or configuration error (exit 2) fails the target.
selfcheck: $(STAMP)
	@mkdir -p build/reports
	@for target in . examples/passing examples/failing examples/monorepo; do \
	  if [ "$$target" = . ]; then name=practicelint; else name=$$(echo $$target | tr '/' '_'); fi; \
	  $(BIN)/practicelint check $$target --format markdown -o build/reports/$$name.md \
	    --report html=build/reports/$$name.html --report sarif=build/reports/$$name.sarif; \
	  code=$$?; if [ $$code -gt 1 ]; then echo "selfcheck: $$target exited $$code"; exit 1; fi; \
	  echo "selfcheck: $$target -> build/reports/$$name.{html,sarif,md} (exit $$code)"; \
	done

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
