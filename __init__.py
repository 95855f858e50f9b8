"""gazettekg: Chinese government gazettes to a knowledge graph of who must do what, by when."""

__version__ = "0.1.0"
