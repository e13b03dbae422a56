"""One module per command of the ``ingavi`` program; each exposes ``register(subparsers)``.

Registering must stay cheap: heavy imports (pygame, matplotlib, dask) happen inside the
function that runs the command, so ``ingavi --help`` is instant and headless commands never
load the interface.
"""
