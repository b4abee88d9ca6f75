"""Crisis signposting: crisis resources by region, and the crisis-phrase matcher."""
