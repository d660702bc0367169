"""Small test models, built with torch (Debian's python3-torch) with fixed
seeds, exported to ONNX. Each entry: name -> (module factory, input shapes)."""
import torch
import torch.nn as nn


class Smoke(nn.Module):
    """Elementwise only: broadcasting add, activations, no weights."""

    def forward(self, x, y):
        return torch.sigmoid(torch.relu(x + y) * 0.5 - 1.0) + torch.tanh(x)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        return torch.softmax(self.fc2(torch.relu(self.fc1(x))), dim=1)


class ResBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(x + self.bn2(self.conv2(y)))


class ResNetTiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(2)
        self.block = ResBlock(8)
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.stem(x))))
        x = self.block(x)
        x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


class MobileTiny(nn.Module):
    """Depthwise-separable blocks with ReLU6, as in MobileNet."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.bn = nn.BatchNorm2d(8)
        self.pw = nn.Conv2d(8, 16, 1)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        x = nn.functional.relu6(self.stem(x))
        x = nn.functional.relu6(self.bn(self.dw(x)))
        x = nn.functional.relu6(self.pw(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class ConvNetWide(nn.Module):
    """Layers big enough (millions of multiply-adds) to be run on threads."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.dw = nn.Conv2d(64, 64, 3, padding=1, groups=64)
        self.pw = nn.Conv2d(64, 64, 1)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.conv2(x))
        x = torch.relu(self.pw(self.dw(x)))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class StridedDepthwise(nn.Module):
    """Depthwise convolutions with strides 2 and 3 on an odd width (the
    phase-split vectorized path: output widths 20 and 12, 4-lane vectors),
    padded and not, a dilated one (scalar loops), and a grouped (not
    depthwise) convolution, split into one convolution per group."""

    def __init__(self):
        super().__init__()
        self.dw2 = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8)
        self.dw3 = nn.Conv2d(8, 8, (3, 5), stride=(1, 3), groups=8)
        self.dwd = nn.Conv2d(8, 8, 3, stride=2, dilation=2, groups=8)
        self.grouped = nn.Conv2d(8, 12, 3, stride=2, padding=1, groups=4)
        self.dw7 = nn.Conv2d(8, 8, (3, 5), groups=8)  # width 35: 7 lanes

    def forward(self, x):
        return (self.dw2(x), self.dw3(x), self.dwd(x), self.grouped(x),
                self.dw7(x))


class GruForecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(4, 16)
        self.head = nn.Linear(16, 1)

    def forward(self, x):
        y, _ = self.gru(x)
        return self.head(y[-1])


class LstmModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(6, 12)
        self.head = nn.Linear(12, 3)

    def forward(self, x):
        y, _ = self.lstm(x)
        return self.head(y[-1])


MODELS = {
    "smoke": (Smoke, [(2, 3, 4), (3, 4)]),
    "mlp": (Mlp, [(2, 64)]),
    "resnet_tiny": (ResNetTiny, [(1, 3, 16, 16)]),
    "mobile_tiny": (MobileTiny, [(1, 3, 16, 16)]),
    "conv_wide": (ConvNetWide, [(1, 3, 32, 32)]),
    "dw_strided": (StridedDepthwise, [(1, 8, 21, 39)]),
    "gru": (GruForecaster, [(12, 1, 4)]),
    "lstm": (LstmModel, [(10, 2, 6)]),
}


def build(name, seed=0):
    """Returns (eval-mode module with deterministic weights, example inputs)."""
    torch.manual_seed(seed)
    factory, shapes = MODELS[name]
    model = factory().eval()
    # Non-trivial batch-norm statistics, so folding and scaling are tested.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    inputs = [torch.randn(*s) for s in shapes]
    return model, inputs
