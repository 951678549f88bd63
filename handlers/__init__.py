"""aiogram routers for commands and callbacks. Thin: read input, call one use case, render."""
