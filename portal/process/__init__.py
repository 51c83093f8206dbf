"""The participation process: dated phases that open actions, and the decision timeline."""
