"""practicelint: check a repository against proven engineering practices.

The package is laid out as a pipeline, so a newcomer can find each stage:

* ``linter.repo``       - the repository model: file index, safe lazy reads, YAML/Markdown parsing, git history.
* ``linter.detectors``  - detectors: each parses one family of formats once into typed facts.
* ``linter.checks``     - rules: short functions that judge facts and return a verdict.
* ``linter.catalog``    - the practice and rule catalog (``practices/``, ``rules/``) and its models.
* ``linter.engine``     - runs the selected checks over every scope and builds the report model.
* ``linter.reporters``  - renderers; they only turn a ``Report`` into text.
"""

__version__ = "0.1.0"
