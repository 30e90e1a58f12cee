"""Effects, Pedalboard-style: processors called on float32 audio shaped ``(channels, frames)``.

    >>> import resound, resound.fx
    >>> audio, sample_rate = resound.read("in.wav")
    >>> chain = resound.fx.Chain([
    ...     resound.fx.EQ("highpass:40,peak:2500:2:1.5"),
    ...     resound.fx.Compressor(threshold_db=-20, ratio=3),
    ...     resound.fx.Convolution("hall.wav", mix=0.3),
    ...     resound.fx.Limiter(ceiling_db=-1.0),
    ... ])
    >>> wet = chain(audio, sample_rate)

Calls default to ``reset=True``: each call starts from silence and the output is aligned with the
input (latency compensated). Pass ``reset=False`` to stream a long signal in pieces: state carries
over between calls and the output is delayed by ``chain.latency_frames``.
"""

from ._resound import fx as _fx

Processor = _fx.Processor
Chain = _fx.Chain
Convolution = _fx.Convolution
Reverb = _fx.Reverb
Chorus = _fx.Chorus
EQ = _fx.EQ
Compressor = _fx.Compressor
Limiter = _fx.Limiter
Gain = _fx.Gain
Pan = _fx.Pan
load_chain = _fx.load_chain
chain_from_json = _fx.chain_from_json

__all__ = ["Processor", "Chain", "Convolution", "Reverb", "Chorus", "EQ", "Compressor", "Limiter", "Gain", "Pan",
           "load_chain", "chain_from_json"]
