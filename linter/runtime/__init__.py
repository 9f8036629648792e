"""How a run is carried out, apart from what it finds: where it keeps what it learned between
runs (``cachedir``). Detectors and checks never import from here."""
