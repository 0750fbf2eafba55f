"""Downloads daily prices and keeps them as a DataFrame."""
import requests
import pandas as pd


def fetch(symbol: str) -> pd.DataFrame:
    response = requests.get(f"https://example.com/prices/{symbol}", timeout=10)
    response.raise_for_status()
    return pd.DataFrame(response.json()["prices"])
