"""The Qt widgets of the operator window: a thin layer over the Qt-free core."""
