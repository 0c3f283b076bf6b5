"""One module per schema revision of the index, oldest first (0001 …)."""
