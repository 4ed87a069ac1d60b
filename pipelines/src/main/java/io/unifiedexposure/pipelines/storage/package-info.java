/** Object storage for archives, outputs and reports: options and the S3 client the launchers use. */
package io.unifiedexposure.pipelines.storage;
