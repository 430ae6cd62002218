"""The Claude wire, independent of any engine: the tool schema of an answer, streaming it,
quoting helpers, prices, cost estimates and the ledger of calls."""
