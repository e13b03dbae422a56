"""The application: window, scene stack and the event loop.

The loop is written to be driven by tests: :meth:`App.run` takes a number of frames, and
:meth:`App.step` runs exactly one, so a test can post mouse and key events with
``pygame.event.post`` and watch the real handlers respond.  Errors a player can cause
(an unreadable save, an illegal order) are shown in a message box, never as a traceback.
"""

from __future__ import annotations

import contextlib
import time
import warnings

import pygame

from game.errors import IngaviError, UsageError
from game.ui import theme
from game.ui.ai_levels import PolicyFactory
from game.ui.layout import MIN_SIZE
from game.ui.scene import Scene

DEFAULT_SIZE = (1280, 720)
FPS = 60
PACE = 0.8
"""Seconds between turns while the computer plays on by itself, by default."""


class App:
    """The window and its stack of scenes."""

    def __init__(
        self,
        size: tuple[int, int] = DEFAULT_SIZE,
        *,
        factory: PolicyFactory | None = None,
        fullscreen: bool = False,
        throttle: bool = True,
    ) -> None:
        flags = pygame.RESIZABLE | (pygame.FULLSCREEN if fullscreen else 0)
        size = (max(size[0], MIN_SIZE[0]), max(size[1], MIN_SIZE[1]))
        try:
            pygame.display.init()
            pygame.font.init()
            self.screen = pygame.display.set_mode(size, flags)
        except pygame.error as exc:
            raise UsageError(f"cannot open a window: {exc} (the game needs a display)") from exc
        pygame.display.set_caption("Ingavi — the Peruvian-Bolivian War of 1841-42")
        self._min_size()
        pygame.key.set_repeat(300, 40)
        self.factory = factory
        self.throttle = throttle
        self.clock = pygame.time.Clock()
        self.stack: list[Scene] = []
        self.running = True
        self.frame_ms: list[float] = []
        self.pace = PACE
        """Seconds between turns while the computer plays on by itself (Play)."""
        self.exit_at_end = False
        """Close the window once the end of a war has been shown (``--exit-at-end``)."""

    @staticmethod
    def _min_size() -> None:
        with contextlib.suppress(AttributeError, pygame.error), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pygame.Window.from_display_module().minimum_size = MIN_SIZE

    # ------------------------------------------------------------------ scenes
    @property
    def top(self) -> Scene | None:
        """The scene receiving events."""
        return self.stack[-1] if self.stack else None

    def push(self, scene: Scene) -> Scene:
        """Put a scene on top."""
        self.stack.append(scene)
        return scene

    def replace(self, scene: Scene) -> Scene:
        """Replace the whole stack with one scene (a new screen)."""
        self.stack = [scene]
        return scene

    def remove(self, scene: Scene) -> None:
        """Take a scene off the stack, wherever it is."""
        if scene in self.stack:
            self.stack.remove(scene)
        if not self.stack:
            self.running = False

    def find(self, kind: type) -> Scene | None:
        """Return the topmost scene of a class, if any."""
        for s in reversed(self.stack):
            if isinstance(s, kind):
                return s
        return None

    def message(self, text: str, title: str = "Notice") -> None:
        """Show a message box over the current screen."""
        from game.ui.widgets.messagebox import MessageBox

        self.push(MessageBox(self, title, text))

    # ------------------------------------------------------------------ loop
    def run(self, frames: int | None = None) -> None:
        """Run the loop until the window closes, or for a number of frames."""
        n = 0
        try:
            while self.running and (frames is None or n < frames):
                self.step()
                n += 1
        except KeyboardInterrupt:
            self.shutdown()
            raise
        if not self.running:
            self.shutdown()

    def shutdown(self) -> None:
        """Let every scene keep what it must (the campaign saves its orders in progress)."""
        for scene in reversed(self.stack):
            scene.shutdown()

    def step(self) -> None:
        """Run one frame: events, update, draw."""
        dt = self.clock.tick(FPS if self.throttle else 0) / 1000.0
        start = time.perf_counter()
        for event in pygame.event.get():
            self._dispatch(event)
        if self.top is not None:
            self.guard(self.top.update, dt)
        self.draw()
        pygame.display.flip()
        self.frame_ms.append((time.perf_counter() - start) * 1000.0)
        del self.frame_ms[:-600]

    def draw(self) -> None:
        """Draw the stack: from the last opaque scene up."""
        first = 0
        for i in range(len(self.stack) - 1, -1, -1):
            if not self.stack[i].overlay:
                first = i
                break
        if not self.stack:
            self.screen.fill(theme.PARCHMENT)
        for scene in self.stack[first:]:
            scene.draw(self.screen)

    def guard(self, fn: object, *args: object) -> None:
        """Call a handler; a player's error becomes a message box."""
        try:
            fn(*args)  # type: ignore[operator]
        except IngaviError as exc:
            self.message(str(exc), "Cannot do that")

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
            return
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self.resized()
            return
        if event.type == pygame.KEYDOWN and self._global_key(event):
            return
        if self.top is not None:
            self.guard(self.top.handle, event)

    def _global_key(self, event: pygame.event.Event) -> bool:
        from game.ui.widgets.help import HelpOverlay

        if (
            event.key == pygame.K_F1
            or (event.key == pygame.K_SLASH and event.mod & pygame.KMOD_SHIFT)
            or event.unicode == "?"
        ):
            if isinstance(self.top, HelpOverlay):
                self.top.close()
            else:
                self.push(HelpOverlay(self))
            return True
        if event.key == pygame.K_F11:
            pygame.display.toggle_fullscreen()
            self.resized()
            return True
        return False

    def resized(self) -> None:
        """Lay every scene out again for the window's new size."""
        self.screen = pygame.display.get_surface()
        size = self.screen.get_size()
        for scene in self.stack:
            scene.resize(size)
