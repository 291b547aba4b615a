package quality

const realAUCMin = 0.8
