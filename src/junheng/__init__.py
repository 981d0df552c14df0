"""junheng (均衡): county evaluation of balanced compulsory education (县域义务教育均衡发展督导评估)."""

__version__ = "0.1.0"
