"""The commands: build, check, serve, publish and import, on top of the stages."""
