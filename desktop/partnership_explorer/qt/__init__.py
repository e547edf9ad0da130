"""The Qt desktop explorer: widgets that render core data and observe one ExplorerState."""
