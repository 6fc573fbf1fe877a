"""Form + answers -> the Report (build), and the Report in each format (render)."""
