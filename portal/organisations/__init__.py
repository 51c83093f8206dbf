"""The district's municipalities (Gemeinden) and its own departments (Geschäftsbereiche)."""
