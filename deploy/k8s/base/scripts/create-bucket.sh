#!/bin/sh
# Creates Stipple's bucket and the services' own MinIO user, idempotently; run with the minio/mc
# image, the endpoint as the first argument. Used by docker-compose (minio-init) and by the
# Kubernetes dev overlay (Job minio-init).
# The services never get the root credentials: their user may only touch the one bucket, so
# rotating either credential (docs/deployment.md) never needs the other.
# Environment: MINIO_ROOT_USER, MINIO_ROOT_PASSWORD, STIPPLE_STORAGE_ACCESS_KEY,
# STIPPLE_STORAGE_SECRET_KEY, STIPPLE_STORAGE_BUCKET (default stipple).
set -eu
endpoint="${1:?usage: create-bucket.sh http://minio:9000}"
bucket="${STIPPLE_STORAGE_BUCKET:-stipple}"
: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}" "${STIPPLE_STORAGE_ACCESS_KEY:?}" "${STIPPLE_STORAGE_SECRET_KEY:?}"
export MC_CONFIG_DIR="${MC_CONFIG_DIR:-/tmp/mc}"

mc alias set stipple "$endpoint" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "stipple/$bucket"

cat > /tmp/stipple-services-policy.json <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
     "Resource": ["arn:aws:s3:::$bucket"]},
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                                   "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
     "Resource": ["arn:aws:s3:::$bucket/*"]}
  ]
}
POLICY
mc admin policy create stipple stipple-services /tmp/stipple-services-policy.json
# Adding an existing user sets its secret: this is also how the services' secret is rotated.
mc admin user add stipple "$STIPPLE_STORAGE_ACCESS_KEY" "$STIPPLE_STORAGE_SECRET_KEY"
mc admin policy attach stipple stipple-services --user "$STIPPLE_STORAGE_ACCESS_KEY" \
  || mc admin user info stipple "$STIPPLE_STORAGE_ACCESS_KEY" | grep -q stipple-services
echo "bucket $bucket and user $STIPPLE_STORAGE_ACCESS_KEY ready"
