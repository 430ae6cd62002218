"""Reading across stored analyses: the Insights charts' data (insights.py) and how a document's
findings change between playbook versions (comparison.py)."""
