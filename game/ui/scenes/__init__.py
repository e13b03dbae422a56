"""The screens of the interface, one module each."""
