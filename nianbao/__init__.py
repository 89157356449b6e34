"""Nianbao's shell: configuration (`nianbao.config`) and the command line (`nianbao.cli`)."""
