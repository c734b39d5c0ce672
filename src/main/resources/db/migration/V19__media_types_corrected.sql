-- One media sniffer (MediaSniffer) now types both a blob and its asset versions, from the same first 512 bytes.
-- Before, a blob was typed by one sniffer (512 bytes) and a version by another (64 bytes), and they disagreed.
-- This corrects the stored rows where the pair of old answers tells what the new sniffer says, without the bytes:
--
--   version said        blob said                                       both now
--   video/mp4           image/avif, image/heic, audio/mp4               the blob's (ISO media brands the version's
--                                                                       sniffer did not know)
--   octet-stream, text  application/zip, application/gzip,              the blob's (magic the version's sniffer
--                       video/x-msvideo                                 did not know)
--   text/plain          audio/mpeg                                      audio/mpeg (an MPEG frame header without
--                                                                       control bytes in its first 64 bytes)
--   application/json    application/octet-stream                        application/octet-stream (starts like JSON,
--                                                                       but has a NUL byte: not text)
--   application/vnd.safetensors  application/octet-stream               application/octet-stream (the stricter of
--                                                                       the two header checks is the one kept)
--   text/plain          application/octet-stream                        text/plain (the blob's sniffer knew no text)
--
-- Left as they are (the bytes alone could tell): a blob no version names, blob audio/mpeg with version
-- octet-stream (an MPEG 2.5 frame, or UTF-16 text with a byte order mark), and types that both old sniffers got
-- wrong alike (Matroska said video/webm, text beginning with "BM" or "[" said image/bmp or application/json, an
-- OpenRaster or other packaged ZIP said application/zip). Two corrections are close, not exact: a generic HEIF
-- (major brand mif1) keeps image/heic where the new sniffer may say image/avif or image/heif, and text the old
-- version sniffer took from its first 64 bytes may not be UTF-8 (the new sniffer would say application/octet-stream).
-- Every statement only changes rows still in an old disagreement: on an empty database, or run again, it changes
-- nothing.

update asset_version v
   set media_type = b.media_type
  from blob b
 where b.sha256 = v.blob_sha256
   and v.media_type = 'video/mp4'
   and b.media_type in ('image/avif', 'image/heic', 'audio/mp4');

update asset_version v
   set media_type = b.media_type
  from blob b
 where b.sha256 = v.blob_sha256
   and v.media_type in ('application/octet-stream', 'text/plain')
   and b.media_type in ('application/zip', 'application/gzip', 'video/x-msvideo');

update asset_version v
   set media_type = 'audio/mpeg'
  from blob b
 where b.sha256 = v.blob_sha256
   and v.media_type = 'text/plain'
   and b.media_type = 'audio/mpeg';

update asset_version v
   set media_type = 'application/octet-stream'
  from blob b
 where b.sha256 = v.blob_sha256
   and v.media_type in ('application/json', 'application/vnd.safetensors')
   and b.media_type = 'application/octet-stream';

update blob b
   set media_type = 'text/plain'
 where b.media_type = 'application/octet-stream'
   and exists (select 1 from asset_version v where v.blob_sha256 = b.sha256 and v.media_type = 'text/plain');
