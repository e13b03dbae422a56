"""Small hand-written widgets: buttons, panels, tooltips, the log, dialogs."""
