// Photos of documents at the deputies' tables (issue 12). A phone's
// camera makes 3–6 MB pictures; a document still reads well at 1600
// pixels on its long side, some 200–400 KB as a JPEG, which a meeting-day
// network can carry. Drawing the picture anew also leaves out what the
// original file says about itself (EXIF: where and when it was taken).

/// `file` as a JPEG at most `maxSide` pixels on its long side, turned
/// upright; null if it is not a picture this browser can read.
export async function shrinkPhoto(file, maxSide, quality) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return null;
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = typeof OffscreenCanvas === 'function'
    ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d');
  // A transparent picture (a PNG) turns white, not black, as a JPEG.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}
