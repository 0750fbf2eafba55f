"""Trains a tiny regression model on a CSV file."""
import numpy as np
import pandas as pd
import torch
from torch import nn


def load(path: str) -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(path)
    features = frame.drop(columns=["target"]).to_numpy(dtype=np.float32)
    target = np.reshape(frame["target"].to_numpy(dtype=np.float32), (-1, 1))
    return features, target


def train(features: np.ndarray, target: np.ndarray, epochs: int = 100) -> nn.Module:
    model = nn.Linear(features.shape[1], 1)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.from_numpy(features), torch.from_numpy(target)
    for _ in range(epochs):
        optimiser.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimiser.step()
    return model


if __name__ == "__main__":
    train(*load("data.csv"))
