"""The repository model: what files exist, how they are read, and what git knows about them."""
