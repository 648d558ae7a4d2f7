"""Qt widgets, table models, dialogs and the background-job helper. Thin: it calls core and shows results."""
