//! Quick-look previews of FITS products (skeleton; being written).
