"""How the app looks: themes, icons, small shared widgets, numbers as people read them."""
