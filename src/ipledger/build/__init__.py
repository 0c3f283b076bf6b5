"""Building the contracts: the Solidity compiler (native solc or the npm solcjs shim), its cache, and the offline toolchain setup."""
