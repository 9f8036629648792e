"""practicelint: check a repository against proven engineering practices.

The package is laid out as the pipeline of one run (``docs/architecture.md`` draws it):
configuration -> index -> rules -> scopes -> plan -> execute -> assemble -> reporters.

* ``linter.engine``     - the pipeline itself: ``run`` reads as the list above.
* ``linter.repo``       - the repository: file index, safe reads behind prefilters, git, the fact store.
* ``linter.detectors``  - each parses one family of formats, once per run, into frozen typed facts.
* ``linter.checks``     - one module per rule: its ``check`` judges facts and writes the verdict,
                          its ``RULE`` record says what it needs; ``registry.py`` is generated.
* ``linter.catalog``    - the practice and rule catalog (``practices/``, ``rules/``), one model.
* ``linter.runtime``    - how a run is carried out: one process or two, caches kept between runs.
* ``linter.reporters``  - renderers; they only turn a ``Report`` into text.

Around them: ``linter.cli`` (the command), ``linter.config``/``configload`` (configuration),
``linter.scoring`` (scores and levels), ``linter.audit`` (org audits) and ``linter.scaffold``
(``init`` and ``fix``). Checks never import checks, detectors never write verdicts, and only
``linter.runtime`` keeps anything between runs (``tests/test_layers.py``).
"""

__version__ = "0.1.0"
