"""How a run is carried out, apart from what it finds.

* ``executors``: the checks of a run in one process, or shared by two (``check --jobs 2``);
* ``cachedir``: the folder where command-line runs keep what they learned, and when to trust it;
* ``historycache``: git history facts a commit fixes forever (commit sizes, service ages);
* ``verdicts``: which files each prefilter turned down, and the parsed YAML of the others.

A cache can make a run faster, never different. Detectors and checks never import from here;
the repository model (``linter.repo``: git, reader) consults the caches on their behalf.
"""
