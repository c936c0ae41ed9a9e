"""unkg: a searchable knowledge graph of UNCCD and UN-Habitat documents."""

__version__ = "0.1.0"
