"""Read, index and search stages: corpus → reports → index → results."""
