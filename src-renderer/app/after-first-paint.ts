// Work that can wait until the first rows are on screen (the log's scroll margin, the measured view switch).
import { useEffect, useState } from 'react';

/** True from the frame after the first paint on (a timer queued from a frame callback runs after that paint). */
export function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setPainted(true))));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return painted;
}
