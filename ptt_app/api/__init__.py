"""The AI Agent server API as the app speaks it: request and result types, signing, return codes, HTTP.

Imports nothing else of the app: storage, the talk engine and the window build on it.
"""
